from django.urls import path

from .views.actions import order_action
from .views.bulk import bulk_ship
from .views.home import home
from .views.order_detail import order_detail
from .views.order_list import order_list
from .views.reveal import reveal_buyer

urlpatterns = [
    path("", home, name="home"),
    path("orders/", order_list, name="order_list"),
    path("orders/bulk/ship/", bulk_ship, name="bulk_ship"),
    path("orders/<int:order_id>/", order_detail, name="order_detail"),
    path("orders/<int:order_id>/reveal/", reveal_buyer, name="order_reveal_buyer"),
    path("orders/<int:order_id>/actions/<slug:action>/", order_action, name="order_action"),
]
