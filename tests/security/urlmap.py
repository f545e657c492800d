"""Every URL pattern of the project (django.urls resolver), with the names and
parameters the walker needs; the admin site is walked separately, model by model."""
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or the route itself when the pattern has no name
    route: str
    params: tuple[str, ...]
    namespace: str | None


def walk(patterns=None, prefix="", namespace=None):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            if ns == "admin":
                continue
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            params = tuple(p.pattern.converters) if hasattr(p.pattern, "converters") else tuple(p.pattern.regex.groupindex)
            yield Route(key=name or route, route=route, params=params, namespace=namespace)


def routes() -> dict[str, Route]:
    found = {}
    for r in walk():
        found.setdefault(r.key, r)
    return found


def url_for(route: Route, kwargs: dict) -> str:
    """The path of ``route``: reversed by name, or the route itself when it has no name."""
    from django.urls import reverse

    if route.key != route.route:
        return reverse(route.key, kwargs=kwargs)
    if route.params:
        raise ValueError(f"unnamed URL pattern with parameters: {route.route}; give it a name")
    return "/" + route.route
