"""The API's documentation for people, drawn on the server from the OpenAPI description
itself (no script, no CDN), so it says exactly what the description says."""

from dataclasses import dataclass, field

from drf_spectacular.generators import SchemaGenerator


@dataclass
class Parameter:
    name: str
    where: str
    required: bool
    kind: str  # "string", "integer", "list of strings", ...
    description: str
    values: list = field(default_factory=list)
    bounds: str = ""


@dataclass
class Operation:
    method: str
    path: str
    description: str
    parameters: list
    responses: list  # (status, description)

    @property
    def anchor(self) -> str:
        return "op-" + "".join(c if c.isalnum() else "-" for c in self.path).strip("-")


def operations() -> tuple[dict, list[Operation]]:
    """(the description's info, its operations in path order)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            found.append(
                Operation(
                    method.upper(),
                    path,
                    operation.get("description", ""),
                    [_parameter(parameter) for parameter in operation.get("parameters", [])],
                    sorted(
                        (status, response.get("description", ""))
                        for status, response in operation.get("responses", {}).items()
                    ),
                )
            )
    return schema["info"], found


def _parameter(parameter) -> Parameter:
    schema = parameter.get("schema", {})
    item = schema.get("items", schema)
    kind = _type_name(item)
    if schema.get("type") == "array":
        kind = f"list of {kind}s (repeat the parameter)"
    bounds = []
    if "minimum" in item:
        bounds.append(f"from {item['minimum']}")
    if "maximum" in item:
        bounds.append(f"to {item['maximum']}")
    if "maxLength" in item:
        bounds.append(f"at most {item['maxLength']} characters")
    if "pattern" in item:
        bounds.append(f"matching {item['pattern']}")
    return Parameter(
        name=parameter["name"],
        where=parameter["in"],
        required=parameter.get("required", False),
        kind=kind,
        description=parameter.get("description", ""),
        values=list(item.get("enum", [])),
        bounds=" ".join(bounds),
    )


def _type_name(schema) -> str:
    kind = schema.get("type", "string")
    if isinstance(kind, list):
        return " or ".join(kind)
    return kind
