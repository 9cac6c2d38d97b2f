"""The Django Ninja internal we rely on (core/ninja_internals.py): an upgrade that drops it fails here by name."""

from lotsenhaus.api import api
from lotsenhaus.core.ninja_internals import operations_of

METHODS = {"get", "post", "put", "patch", "delete"}


def test_the_operations_of_the_api_are_those_of_its_openapi_document():
    documented = {
        operation["operationId"]
        for path in api.get_openapi_schema()["paths"].values()
        for method, operation in path.items()
        if method in METHODS
    }
    found = {api.get_openapi_operation_id(operation) for operation in operations_of(api)}
    assert len(documented) > 90 and found == documented
