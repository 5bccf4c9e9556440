import type { Colors } from './colors.js';
import { cell, stringWidth, truncate } from './format.js';

/**
 * One column of a table fitted to a terminal. Text is fitted first and coloured after, so
 * widths are always measured on plain text.
 */
export interface Column<Row> {
  header: string;
  /** The plain text of this column for a row. */
  text(row: Row): string;
  /** Colours the fitted text (padding included). */
  paint?(fitted: string, row: Row): string;
  /** Draws the cell itself at exactly `width` columns, instead of text + paint (e.g. a progress bar). */
  draw?(row: Row, width: number): string;
  min: number;
  max: number;
  /** Always at least `min` wide, even when no value needs it (a state word that may grow should not shift the row). */
  fixed?: boolean;
  align?: 'left' | 'right';
  /** Where an over-long value is cut; `middle` keeps both ends of an id. */
  cut?: 'end' | 'middle';
  /** Shrinks before columns with a higher number (default 0). */
  shrinkOrder?: number;
  /** When nothing fits, columns are dropped lowest number first; undefined: never dropped. */
  dropOrder?: number;
}

export interface FittedColumn<Row> {
  column: Column<Row>;
  width: number;
}

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

/**
 * Picks a width for each column so a row fits `width` terminal columns: each starts at its
 * content's width (between min and max), shrinks towards its min in `shrinkOrder`, and when
 * that is not enough the column with the lowest `dropOrder` goes.
 */
export function fitColumns<Row>(columns: readonly Column<Row>[], rows: readonly Row[], width: number, gap: number): FittedColumn<Row>[] {
  let active = [...columns];
  for (;;) {
    const fitted = active.map((column) => {
      if (column.draw) return { column, width: column.max, min: column.min };
      const natural = Math.max(stringWidth(column.header), ...rows.map((row) => stringWidth(column.text(row))));
      // A column never needs more than its content, even when its usual minimum is larger.
      const min = column.fixed ? column.min : Math.min(column.min, natural);
      return { column, width: clamp(natural, min, column.max), min };
    });
    let over = fitted.reduce((sum, f) => sum + f.width, 0) + gap * (fitted.length - 1) - width;
    const byShrinkOrder = [...fitted].sort((a, b) => (a.column.shrinkOrder ?? 0) - (b.column.shrinkOrder ?? 0));
    for (const f of byShrinkOrder) {
      if (over <= 0) break;
      const cut = Math.min(over, f.width - f.min);
      f.width -= cut;
      over -= cut;
    }
    if (over <= 0) return fitted.map(({ column, width: fittedWidth }) => ({ column, width: fittedWidth }));
    const droppable = active.filter((c) => c.dropOrder !== undefined).sort((a, b) => a.dropOrder! - b.dropOrder!);
    if (droppable.length === 0) return fitted.map(({ column, width: fittedWidth }) => ({ column, width: fittedWidth }));
    active = active.filter((c) => c !== droppable[0]);
  }
}

export function renderRow<Row>(fitted: readonly FittedColumn<Row>[], row: Row, gap: number): string {
  return fitted
    .map(({ column, width }) => {
      if (column.draw) return column.draw(row, width);
      const text = cell(column.text(row), width, column.align, column.cut);
      return column.paint ? column.paint(text, row) : text;
    })
    .join(' '.repeat(gap))
    .trimEnd();
}

export function renderHeader<Row>(fitted: readonly FittedColumn<Row>[], gap: number, colors: Colors): string {
  return colors.dim(fitted.map(({ column, width }) => cell(column.header, width, column.align)).join(' '.repeat(gap)).trimEnd());
}

export { truncate };
