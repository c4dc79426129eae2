// A tenant's attributes and a segment condition's values as an operator types and reads them:
// strings, numbers, booleans and lists of strings, which the service compares only with their
// own kind (the string "120" is not the number 120), so the text form keeps the kind visible.

/** One value as text: numbers and booleans bare, a string bare unless it would read back as another kind. */
export function valueText(value) {
  if (typeof value !== 'string') return String(value);
  return value === 'true' || value === 'false' || isNumber(value) || /[",]/.test(value) || value !== value.trim()
    ? JSON.stringify(value) : value;
}

/** "plan: enterprise; region: eu; tags: [a, b]", for a table cell. */
export function attributesText(attributes) {
  return Object.entries(attributes || {})
    .map(([name, value]) => `${name}: ${Array.isArray(value) ? `[${value.map(valueText).join(', ')}]` : valueText(value)}`)
    .join('; ');
}

function isNumber(text) {
  return /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(text);
}

/** true, false and numbers as such, "quoted" text as the string inside, anything else the string it is. */
export function parseValue(text) {
  const trimmed = text.trim();
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  if (isNumber(trimmed)) return Number(trimmed);
  if (/^"(?:[^"\\]|\\.)*"$/.test(trimmed)) return JSON.parse(trimmed);
  return trimmed;
}

/** Comma-separated values, a quoted one may hold commas: 'eu, "a,b", 3' → ['eu', 'a,b', 3]; '' → []. */
export function parseValues(text) {
  const values = [];
  const item = /\s*("(?:[^"\\]|\\.)*"|[^,]*?)\s*(?:,|$)/gy;
  let match;
  while (item.lastIndex < text.length && (match = item.exec(text)) !== null) {
    if (match[0] === '') break;
    if (match[1] !== '') values.push(parseValue(match[1]));
  }
  return values;
}

export const valuesText = (values) => (values || []).map(valueText).join(', ');
