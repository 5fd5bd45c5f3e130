from django.shortcuts import render

from .models import Agreement


def dashboard(request):
    return render(request, "partners/dashboard.html", {"agreements": Agreement.objects.all()})
