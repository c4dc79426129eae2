// Builds elements from text only: names, descriptions and ids from the service are never parsed
// as HTML (a description holding <img onerror=...> shows as those characters).

/** el('td', {class: 'x', 'aria-label': 'y'}, 'text', child, ...) */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function table(caption, headings, rows) {
  return el('table', {},
    el('caption', { class: 'visually-hidden' }, caption),
    el('thead', {}, el('tr', {}, headings.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows));
}

export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

/**
 * Asks in {@code dialog} (a <dialog> of the page) with {@code content} and two buttons; answers
 * true if {@code confirmLabel} was chosen, false for Cancel or Escape. The caller acts after, so
 * that a refusal is shown by the page, not lost with the dialog.
 */
export function confirmed(dialog, heading, content, confirmLabel) {
  return new Promise((resolve) => {
    const id = `${dialog.id || 'dialog'}-heading`;
    dialog.setAttribute('aria-labelledby', id);
    dialog.replaceChildren(el('form', { method: 'dialog' },
      el('h2', { id }, heading), content,
      el('p', {}, el('button', { value: 'confirm' }, confirmLabel), ' ', el('button', { value: 'cancel' }, 'Cancel'))));
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true });
    dialog.returnValue = '';
    dialog.showModal();
  });
}
