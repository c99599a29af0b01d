from django.http import JsonResponse

from partner_api.envelope import api_view
from partner_api.openapi import document


@api_view("GET")
def openapi_document(request):
    return JsonResponse(document(), json_dumps_params={"indent": 1})
