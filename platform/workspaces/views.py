from django.shortcuts import render

from workspaces import selectors


def dashboard(request):
    return render(request, "workspaces/dashboard.html", {"my_workspaces": selectors.workspaces_of(request.user)})
