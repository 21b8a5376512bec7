// Tables for people (aligned columns, CJK counted as two cells) and text for scripts (tab-separated,
// no header, as tccli's and the AWS CLI's text output).
'use strict';

const WIDE =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u;
function width(s) {
  let w = 0;
  for (const ch of s) w += WIDE.test(ch) || ch.codePointAt(0) > 0xffff ? 2 : 1;
  return w;
}

// An empty cell is "-" in both formats, so that text columns never collapse when split on whitespace.
const cell = (c) => (c === undefined || c === null || c === '' ? '-' : typeof c === 'object' ? JSON.stringify(c) : String(c));

function table(headers, rows) {
  const cells = rows.map((r) => r.map(cell));
  const widths = headers.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i]))));
  const line = (r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i] - width(c))))
      .join('  ')
      .trimEnd();
  return `${[line(headers), ...cells.map(line)].join('\n')}\n`;
}

/** Tab-separated rows; tabs and newlines inside a value become spaces. */
function text(rows) {
  return rows.map((r) => `${r.map((c) => cell(c).replace(/[\t\r\n]+/g, ' ')).join('\t')}\n`).join('');
}

/** The columns and rows of any API Response: its first array of objects, else its scalar fields as NAME VALUE. */
function responseRows(res) {
  const setKey = Object.keys(res).find((k) => Array.isArray(res[k]) && res[k].length > 0 && res[k].every((x) => x && typeof x === 'object'));
  if (setKey) {
    const items = res[setKey];
    const headers = [];
    for (const item of items) for (const k of Object.keys(item)) if (!headers.includes(k) && (item[k] === null || typeof item[k] !== 'object')) headers.push(k);
    return { headers, rows: items.map((item) => headers.map((h) => item[h])) };
  }
  return { headers: ['NAME', 'VALUE'], rows: Object.entries(res).map(([k, v]) => [k, v]) };
}

module.exports = { width, table, text, responseRows };
