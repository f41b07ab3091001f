import { describe, expect, it } from 'vitest';
import { bar, chartStyle, renderSeries, sparkline } from '../../src/cli/charts.js';

describe('charts', () => {
  it('scales a sparkline to its largest value, and draws zeros as the baseline', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
    expect(sparkline([])).toBe('');
  });

  it('draws bars in eighths of a cell, at least one eighth for any positive value', () => {
    expect(bar(10, 10, 4)).toBe('████');
    expect(bar(5, 10, 3)).toBe('█▌');
    expect(bar(1, 1000, 4)).toBe('▏');
    expect(bar(0, 10, 4)).toBe('');
    expect(bar(3, 0, 4)).toBe('');
  });

  it('decides terminal, colour and width from the stream, NO_COLOR and the flag', () => {
    expect(chartStyle({ isTTY: true, columns: 120 }, {}, true)).toEqual({
      tty: true,
      color: true,
      width: 120,
    });
    expect(chartStyle({ isTTY: true, columns: 0 }, { NO_COLOR: '' }, true)).toEqual({
      tty: true,
      color: false,
      width: 80,
    });
    expect(chartStyle({ isTTY: true, columns: 20 }, {}, false)).toEqual({
      tty: true,
      color: false,
      width: 40,
    });
    expect(chartStyle({}, {}, true)).toEqual({ tty: false, color: false, width: 80 });
  });

  it('renders a series as plain lines off a terminal', () => {
    const series = {
      title: 'Messages',
      points: [
        { label: '2025-06-01', value: 3 },
        { label: '2025-06-02', value: 0 },
      ],
    };
    expect(renderSeries(series, { tty: false, color: true, width: 80 })).toEqual([
      'Messages',
      '2025-06-01  3',
      '2025-06-02  0',
    ]);
    expect(renderSeries(series, { tty: true, color: false, width: 40 })).toEqual([
      'Messages  █▁  max 3',
      `2025-06-01 3 ${'█'.repeat(25)}`,
      '2025-06-02 0',
    ]);
  });
});
