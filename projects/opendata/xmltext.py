"""A small element tree for the IATI file, written out as lxml's pretty printer writes it.

An IATI file of 1,000 activities has some 140,000 elements. Making each an lxml element (a C
object and its Python proxy) cost most of the file's time; these plain nodes cost a fraction,
and the text they write is byte for byte lxml's `tostring(..., pretty_print=True)` (a test
compares the two). Only what the IATI file uses is here: elements with attributes and either
text or child elements (never both), and `xml:lang`.
"""

import re

XML_LANG = "xml:lang"

# libxml2's escaping: text escapes <, > and & (and a carriage return, which a parser would
# otherwise read as a line end); attribute values also escape the quote and the other blanks.
ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
# Characters XML 1.0 cannot carry at all (control characters, U+FFFE, U+FFFF, lone surrogates):
# dropped, so that a stray one pasted into a title never makes the whole file unreadable.
NOT_XML = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
TEXT_SPECIAL = re.compile(f"[&<>\r{NOT_XML}]")
ATTRIBUTE_SPECIAL = re.compile(f'[&<>"\n\r\t{NOT_XML}]')


def escaped(text, special):
    # Most texts have nothing to escape: one search, and no new string.
    if special.search(text) is None:
        return text
    return special.sub(lambda match: ESCAPES.get(match.group(), ""), text)


class Element:
    """An element: tag, attributes in the order set, and text or children."""

    __slots__ = ("tag", "attrib", "text", "children")

    def __init__(self, tag, attrib=None):
        self.tag = tag
        self.attrib = dict(attrib) if attrib else {}
        self.text = None
        self.children = []

    def set(self, name, value):
        self.attrib[name] = value

    def append(self, child):
        self.children.append(child)

    def extend(self, children):
        self.children.extend(children)

    def __len__(self):
        return len(self.children)


def SubElement(parent, tag, attrib=None):  # noqa: N802 (named after lxml's, which it replaces)
    node = Element(tag, attrib)
    parent.children.append(node)
    return node


def write(node, out, indent):
    """Append the lines of `node` and its children to `out`, at this indentation."""
    tag = node.tag
    if node.attrib:
        head = "".join([f' {name}="{escaped(str(value), ATTRIBUTE_SPECIAL)}"' for name, value in node.attrib.items()])
        head = f"{indent}<{tag}{head}"
    else:
        head = f"{indent}<{tag}"
    if node.children:
        if node.text is not None:
            raise ValueError(f"<{tag}> has both text and children, which this writer does not indent.")
        out.append(f"{head}>\n")
        inner = indent + "  "
        for child in node.children:
            write(child, out, inner)
        out.append(f"{indent}</{tag}>\n")
    elif node.text is None:
        out.append(f"{head}/>\n")
    else:
        out.append(f"{head}>{escaped(node.text, TEXT_SPECIAL)}</{tag}>\n")


def tostring(root):
    """The UTF-8 document: lxml's declaration, then the tree indented by two spaces a level."""
    out = ["<?xml version='1.0' encoding='UTF-8'?>\n"]
    write(root, out, "")
    return "".join(out).encode()
