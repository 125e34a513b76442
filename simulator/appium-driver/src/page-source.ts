/**
 * The page source as UiAutomator2 writes it: `<hierarchy rotation="0">`, one
 * element per node named after its class, with the same attributes in the
 * same order. XPath runs on this very XML, parsed back by @xmldom/xmldom.
 */
import { DOMParser, type Element as XmlElement, type Node as XmlNode } from '@xmldom/xmldom';
import { formatBounds, SCREEN, type UiNode } from './ui-node.ts';

function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char] ?? char)
    .replace(/[\n\r\t]/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The attributes of a node, in UiAutomator2's order, as strings. */
export function nodeAttributes(node: UiNode): [string, string][] {
  return [
    ['index', String(node.index)],
    ['package', node.packageName],
    ['class', node.className],
    ['text', node.text],
    ['resource-id', node.resourceId],
    ['content-desc', node.contentDesc],
    ['hint', node.hint],
    ['checkable', String(node.checkable)],
    ['checked', String(node.checked)],
    ['clickable', String(node.clickable)],
    ['enabled', String(node.enabled)],
    ['focusable', String(node.focusable)],
    ['focused', String(node.focused)],
    ['long-clickable', String(node.longClickable)],
    ['password', String(node.password)],
    ['scrollable', String(node.scrollable)],
    ['selected', String(node.selected)],
    ['bounds', formatBounds(node.bounds)],
    ['displayed', String(node.displayed)],
  ];
}

function element(node: UiNode, depth: number): string {
  const indent = '  '.repeat(depth);
  const attributes = nodeAttributes(node).map(([name, value]) => `${name}="${escapeXml(value)}"`).join(' ');
  if (node.children.length === 0) return `${indent}<${node.className} ${attributes} />`;
  return [`${indent}<${node.className} ${attributes}>`, ...node.children.map((child) => element(child, depth + 1)),
    `${indent}</${node.className}>`].join('\n');
}

/** The XML of a window, as `getPageSource` returns it. */
export function renderPageSource(root: UiNode): string {
  return [
    "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>",
    `<hierarchy index="0" class="hierarchy" rotation="0" width="${SCREEN.width}" height="${SCREEN.height}">`,
    element(root, 1),
    '</hierarchy>',
  ].join('\n');
}

/** A window's page source parsed back, with the node each XML element stands for. */
export interface ParsedSource {
  document: XmlNode;
  nodeOf: Map<XmlNode, UiNode>;
  elementOf: Map<UiNode, XmlElement>;
}

function childElements(parent: XmlNode): XmlElement[] {
  const elements: XmlElement[] = [];
  for (let child = parent.firstChild; child !== null; child = child.nextSibling) {
    if (child.nodeType === child.ELEMENT_NODE) elements.push(child as XmlElement);
  }
  return elements;
}

/** Parses a window's page source and pairs each element with its node (both trees have the same shape). */
export function parsePageSource(root: UiNode): ParsedSource {
  const document = new DOMParser().parseFromString(renderPageSource(root), 'text/xml');
  const nodeOf = new Map<XmlNode, UiNode>();
  const elementOf = new Map<UiNode, XmlElement>();
  const pair = (xml: XmlElement, node: UiNode): void => {
    nodeOf.set(xml, node);
    elementOf.set(node, xml);
    childElements(xml).forEach((child, i) => {
      const childNode = node.children[i];
      if (childNode !== undefined) pair(child, childNode);
    });
  };
  const hierarchy = childElements(document)[0];
  const top = hierarchy === undefined ? undefined : childElements(hierarchy)[0];
  if (top !== undefined) pair(top, root);
  return { document, nodeOf, elementOf };
}
