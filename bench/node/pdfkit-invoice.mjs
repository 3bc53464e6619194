// The PDF peer of the benchmark: the same invoices as SmallPay's renderer (same content, the same A4 layout in
// outline: header, parties, a line-item table whose header repeats on every page, totals, notes, "Page X of Y"
// footers) rendered with PDFKit, either with the same DejaVu Sans TTF embedded (subset) or with the built-in Helvetica.
//
//   node pdfkit-invoice.mjs <spec.json> <dejavu|helvetica> <fonts dir> <iterations> <warm-up> [<out dir>]
//
// spec.json (written by SmallPay.Bench) holds the invoices as formatted text; <iterations> is one count for all of
// them or a comma-separated count per invoice. Prints one JSON array:
// [{ lines, firstMs, samplesMs: [...], bytes }], one entry per invoice; with <out dir> the last PDF of each is saved.
import PDFDocument from "pdfkit";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [specPath, fontMode, fontsDir, iterationsText, warmupText, outDir] = process.argv.slice(2);
if (!specPath || !["dejavu", "helvetica"].includes(fontMode)) {
  console.error("usage: node pdfkit-invoice.mjs <spec.json> <dejavu|helvetica> <fonts dir> <iterations> <warm-up> [<out dir>]");
  process.exit(2);
}
const spec = JSON.parse(readFileSync(specPath, "utf8"));
const iterationCounts = String(iterationsText ?? "10").split(",").map(Number);
const warmup = Number(warmupText ?? 2);
// The font files are read once, as a long-lived worker would; PDFKit parses and subsets them per document.
const fonts = fontMode === "dejavu"
  ? { regular: readFileSync(join(fontsDir, "DejaVuSans.ttf")), bold: readFileSync(join(fontsDir, "DejaVuSans-Bold.ttf")) }
  : null;
// The layout asks for "Body" and "Bold". The TTFs are registered under those names; the built-in fonts are used by
// their own names (an alias registered for Helvetica, the document's default font, is never cached by PDFKit 0.20:
// every switch to it would parse its metrics again).
const FACES = fontMode === "dejavu" ? { Body: "Body", Bold: "Bold" } : { Body: "Helvetica", Bold: "Helvetica-Bold" };

const INK = "#1F2933", MUTED = "#5F6B7A", ACCENT = "#1F4E79", PANEL = "#F1F4F8", RULE = "#D5DBE3";
const MARGIN = { top: 50, bottom: 60, left: 50, right: 50 };
const AMOUNT = 84, TAX = 40, DISC = 42, UNIT = 76, QTY = 42, PAD = 5, ROW_PAD = 4.5, HEADER_ROW = 19, SIDE = 200, TOTALS = 250;

function render(invoice) {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: "A4", margins: { ...MARGIN, bottom: 0 }, bufferPages: true, autoFirstPage: false,
      info: { Title: `Invoice ${invoice.number}`, Author: invoice.business.name, Creator: "SmallPay bench (PDFKit)" },
    });
    const chunks = [];
    doc.on("data", (chunk) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    if (fonts) {
      doc.registerFont("Body", fonts.regular);
      doc.registerFont("Bold", fonts.bold);
    }
    layout(doc, invoice);
    doc.end();
  });
}

function layout(doc, inv) {
  let inItems = false;
  const left = MARGIN.left;
  const newPage = (continuation) => {
    doc.addPage();
    doc.y = MARGIN.top;
    if (continuation) {
      text(doc, `Invoice ${inv.number} (continued)`, "Bold", 7.5, MUTED, left, doc.y);
      textRight(doc, inv.business.name, "Body", 7.5, MUTED, right(doc), doc.y);
      doc.y += 26;
      if (inItems) tableHeader();
    }
  };
  const width = () => doc.page.width - MARGIN.left - MARGIN.right;
  const bottom = () => doc.page.height - MARGIN.bottom;
  const fits = (h) => doc.y + h <= bottom();
  const lineHeight = (size) => size * 1.3;
  const descWidth = () => width() - AMOUNT - TAX - DISC - UNIT - QTY - 2 * PAD;

  const tableHeader = () => {
    doc.rect(left, doc.y, width(), HEADER_ROW).fill(PANEL);
    const top = doc.y + (HEADER_ROW - 7.5 * 1.16) / 2;
    text(doc, "DESCRIPTION", "Bold", 7.5, MUTED, left + PAD, top);
    let r = right(doc) - PAD;
    for (const [title, w] of [["AMOUNT", AMOUNT], ["TAX", TAX], ["DISC.", DISC], ["UNIT PRICE", UNIT], ["QTY", QTY]]) {
      textRight(doc, title, "Bold", 7.5, MUTED, r, top);
      r -= w;
    }
    doc.y += HEADER_ROW;
  };

  newPage(false);
  // Header: the business, and the invoice's particulars on the right.
  const top = doc.y;
  const leftWidth = width() - SIDE - 24;
  let y = top;
  doc.font(FACES.Bold).fontSize(15);
  const nameHeight = doc.heightOfString(inv.business.name, { width: leftWidth });
  text(doc, inv.business.name, "Bold", 15, INK, left, y, leftWidth);
  y += nameHeight + 3;
  for (const line of inv.business.lines) {
    doc.font(FACES.Body).fontSize(9);
    const h = doc.heightOfString(line, { width: leftWidth });
    text(doc, line, "Body", 9, MUTED, left, y, leftWidth);
    y += Math.max(h, lineHeight(9));
  }
  let r = top;
  textRight(doc, "INVOICE", "Bold", 22, ACCENT, right(doc), r - 2);
  r += 34;
  for (const [label, value] of inv.particulars) {
    text(doc, label, "Body", 7.5, MUTED, right(doc) - SIDE, r + 1.2);
    textRight(doc, value, "Bold", 9, INK, right(doc), r);
    r += 14;
  }
  doc.y = Math.max(y, r) + 12;
  rule(doc, left, doc.y, right(doc), RULE, 0.6);
  doc.y += 14;

  // Parties: the customer, and the stamp and balance due on the right.
  const ptop = doc.y;
  y = ptop;
  text(doc, "BILL TO", "Bold", 7.5, MUTED, left, y);
  y += 13;
  text(doc, inv.customer.name, "Bold", 10.5, INK, left, y, leftWidth);
  doc.font(FACES.Bold).fontSize(10.5);
  y += doc.heightOfString(inv.customer.name, { width: leftWidth }) + 1;
  for (const line of inv.customer.lines) {
    text(doc, line, "Body", 9, INK, left, y, leftWidth);
    y += lineHeight(9);
  }
  let side = ptop;
  const sideLeft = right(doc) - SIDE;
  if (inv.stamp) {
    const height = inv.stamp.detail ? 42 : 32;
    doc.roundedRect(sideLeft, side, SIDE, height, 6).lineWidth(1.6).strokeColor(inv.stamp.color).stroke();
    centered(doc, inv.stamp.text, "Bold", 17, inv.stamp.color, sideLeft, SIDE, side + 6);
    if (inv.stamp.detail) centered(doc, inv.stamp.detail, "Body", 7.5, inv.stamp.color, sideLeft, SIDE, side + 28);
    side += height + 8;
  }
  if (inv.balance) {
    doc.rect(sideLeft, side, SIDE, 58).fill(PANEL);
    text(doc, "Balance due", "Body", 7.5, MUTED, sideLeft + 10, side + 8);
    textRight(doc, inv.balance.amount, "Bold", 16, INK, right(doc) - 10, side + 19);
    text(doc, inv.balance.due, "Body", 7.5, MUTED, sideLeft + 10, side + 42);
    side += 58;
  }
  doc.y = Math.max(y, side) + 22;

  // Line items.
  const lh = lineHeight(9);
  if (!fits(HEADER_ROW + lh + 2 * ROW_PAD)) newPage(true);
  inItems = true;
  tableHeader();
  for (const line of inv.lines) {
    doc.font(FACES.Body).fontSize(9);
    const h = Math.max(doc.heightOfString(line.description, { width: descWidth(), lineGap: lh - doc.currentLineHeight(true) }), lh);
    const rowHeight = h + 2 * ROW_PAD;
    if (!fits(rowHeight)) newPage(true);
    const rowTop = doc.y + ROW_PAD;
    text(doc, line.description, "Body", 9, INK, left + PAD, rowTop, descWidth(), lh);
    let rr = right(doc) - PAD;
    for (const [value, w] of [[line.amount, AMOUNT], [line.tax, TAX], [line.discount, DISC], [line.unitPrice, UNIT], [line.quantity, QTY]]) {
      textRight(doc, value, "Body", 9, INK, rr, rowTop);
      rr -= w;
    }
    doc.y += rowHeight;
    rule(doc, left, doc.y, right(doc), RULE, 0.6);
  }
  inItems = false;

  // Totals, kept together.
  const rows = inv.totals;
  const height = 10 + rows.length * 15 + 22 + (inv.paid ? 15 + 24 + 4 : 0);
  doc.y += 10;
  if (!fits(height)) newPage(true);
  const tLeft = right(doc) - TOTALS;
  for (const row of rows) {
    text(doc, row.label, "Body", 9, INK, tLeft + PAD, doc.y);
    textRight(doc, row.value, "Body", 9, INK, right(doc) - PAD, doc.y);
    doc.y += 15;
  }
  rule(doc, tLeft, doc.y + 1, right(doc), INK, 0.9);
  doc.y += 6;
  text(doc, "Total", "Bold", 10.5, INK, tLeft + PAD, doc.y);
  textRight(doc, inv.total, "Bold", 10.5, INK, right(doc) - PAD, doc.y);
  doc.y += 16;
  if (inv.paid) {
    text(doc, "Amount paid", "Body", 9, INK, tLeft + PAD, doc.y);
    textRight(doc, inv.paid, "Body", 9, INK, right(doc) - PAD, doc.y);
    doc.y += 19;
    doc.rect(tLeft, doc.y, TOTALS, 24).fill(PANEL);
    text(doc, "Balance due", "Bold", 10.5, INK, tLeft + PAD, doc.y + 6);
    textRight(doc, inv.balanceDue, "Bold", 10.5, INK, right(doc) - PAD, doc.y + 6);
    doc.y += 24;
  }

  // Notes and terms (flowing over pages line by line).
  doc.y += 18;
  const section = (title, body) => {
    if (!fits(14 + 2 * lh)) newPage(true);
    text(doc, title.toUpperCase(), "Bold", 7.5, MUTED, left, doc.y);
    doc.y += 14;
    doc.font(FACES.Body).fontSize(9);
    const h = doc.heightOfString(body, { width: width() });
    if (!fits(h)) newPage(true);
    text(doc, body, "Body", 9, INK, left, doc.y, width(), lh);
    doc.y += h;
  };
  if (inv.notes) { section("Notes", inv.notes); doc.y += 10; }
  section("Payment terms", inv.terms);

  // Footers: "Page X of Y" needs the page count, so they are drawn last on the buffered pages.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const ruleY = doc.page.height - 42;
    rule(doc, left, ruleY, right(doc), RULE, 0.6);
    text(doc, inv.footer, "Body", 7.5, MUTED, left, ruleY + 7);
    textRight(doc, `Page ${i + 1} of ${range.count}`, "Body", 7.5, MUTED, right(doc), ruleY + 7);
  }
}

function right(doc) { return doc.page.width - MARGIN.right; }

function text(doc, value, font, size, color, x, y, width, lineHeight) {
  doc.font(FACES[font]).fontSize(size).fillColor(color);
  const options = width ? { width, lineBreak: true } : { lineBreak: false };
  if (lineHeight) options.lineGap = lineHeight - doc.currentLineHeight(true);
  doc.text(value, x, y, options);
}

function textRight(doc, value, font, size, color, rightX, y) {
  doc.font(FACES[font]).fontSize(size).fillColor(color);
  doc.text(value, rightX - doc.widthOfString(value), y, { lineBreak: false });
}

function centered(doc, value, font, size, color, x, width, y) {
  doc.font(FACES[font]).fontSize(size).fillColor(color);
  doc.text(value, x + (width - doc.widthOfString(value)) / 2, y, { lineBreak: false });
}

function rule(doc, x1, y, x2, color, width) {
  doc.moveTo(x1, y).lineTo(x2, y).lineWidth(width).strokeColor(color).stroke();
}

const results = [];
for (const [index, invoice] of spec.invoices.entries()) {
  const iterations = iterationCounts[Math.min(index, iterationCounts.length - 1)];
  let started = process.hrtime.bigint();
  let pdf = await render(invoice);
  const firstMs = Number(process.hrtime.bigint() - started) / 1e6;
  for (let i = 0; i < warmup; i++) await render(invoice);
  const samplesMs = [];
  for (let i = 0; i < iterations; i++) {
    started = process.hrtime.bigint();
    pdf = await render(invoice);
    samplesMs.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  if (outDir) writeFileSync(join(outDir, `pdfkit-${fontMode}-${invoice.lines.length}-lines.pdf`), pdf);
  results.push({ lines: invoice.lines.length, firstMs, samplesMs, bytes: pdf.length });
}
console.log(JSON.stringify(results));
