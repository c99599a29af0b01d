from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET


@login_required
@require_GET
def home(request):
    memberships = request.user.memberships.select_related("shop").order_by("shop__name")
    return render(request, "orders/home.html", {"memberships": memberships})
