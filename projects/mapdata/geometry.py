"""Plane geometry shared by the outline builder and the map: no Django, no GIS library."""


def clip(points, box):
    """Sutherland-Hodgman: the part of a closed ring of (x, y) inside a box (west, south, east,
    north), with edges along the box where it was cut. Fine for filling: the cut edges lie on the
    box, which the drawing never shows."""
    west, south, east, north = box
    edges = [
        (lambda p: p[0] >= west, lambda p, q: _at_x(p, q, west)),
        (lambda p: p[0] <= east, lambda p, q: _at_x(p, q, east)),
        (lambda p: p[1] >= south, lambda p, q: _at_y(p, q, south)),
        (lambda p: p[1] <= north, lambda p, q: _at_y(p, q, north)),
    ]
    for inside, cross in edges:
        if not points:
            break
        result = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    result.append(cross(previous, point))
                result.append(point)
            elif inside(previous):
                result.append(cross(previous, point))
            previous = point
        points = result
    return points


def _at_x(p, q, x):
    return x, p[1] + (q[1] - p[1]) * (x - p[0]) / (q[0] - p[0])


def _at_y(p, q, y):
    return p[0] + (q[0] - p[0]) * (y - p[1]) / (q[1] - p[1]), y


def area(points):
    """Signed area of a closed ring (shoelace)."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True)) / 2
