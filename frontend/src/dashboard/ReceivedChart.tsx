// Received per month as a bar chart, drawn by uPlot (small and fast; loaded in its own chunk after the figures).
// A table carries the same figures for screen readers.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatMoney, formatMoneyCompact, formatMonth } from '../format/format';

export default function ReceivedChart(props: { months: { month: string; amount: number }[]; currency: string }) {
  const { months, currency } = props;
  const box = useRef<HTMLDivElement>(null);
  const tip = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const container = box.current;
    if (!container) return;
    const labels = months.map((m) => formatMonth(m.month));
    const shortLabels = months.map((m) => formatMonth(m.month).split(/\s/)[0]);
    const xs = months.map((_, i) => i);
    const ys = months.map((m) => m.amount);
    const size = () => ({ width: Math.max(container.clientWidth, 200), height: 240 });
    const plot = new uPlot(
      {
        ...size(),
        legend: { show: false },
        cursor: { drag: { x: false, y: false }, points: { show: false }, y: false },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        scales: { x: { time: false, range: [-0.5, months.length - 0.5] }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
        axes: [
          {
            stroke: '#5b6475',
            grid: { show: false },
            ticks: { show: false },
            splits: () => xs,
            values: (u, splits) => splits.map((i) => (u.width < 520 ? (i % 2 === months.length % 2 ? '' : shortLabels[i]) : shortLabels[i]) ?? ''),
          },
          {
            stroke: '#5b6475',
            grid: { stroke: '#eceef3', width: 1 },
            ticks: { show: false },
            size: 64,
            values: (_u, splits) => splits.map((v) => formatMoneyCompact(v, currency)),
          },
        ],
        series: [
          {},
          {
            label: 'Received',
            fill: '#4f46e5',
            stroke: '#4f46e5',
            width: 0,
            paths: uPlot.paths.bars!({ size: [0.6, 40], radius: 0.15 }),
            points: { show: false },
          },
        ],
        hooks: {
          // The width the bars were last drawn at: the browser tests wait for it to match the box before a screenshot.
          draw: [(u) => void (container.dataset.drawnWidth = String(u.width))],
          setCursor: [
            (u) => {
              const el = tip.current;
              if (!el) return;
              const i = u.cursor.idx;
              if (i === null || i === undefined || u.cursor.left === undefined || u.cursor.left < 0) {
                el.hidden = true;
                return;
              }
              el.hidden = false;
              el.textContent = `${labels[i]}: ${formatMoney(ys[i], currency)}`;
              const left = Math.min(Math.max(u.valToPos(i, 'x') + u.bbox.left / devicePixelRatio, 60), u.width - 60);
              el.style.left = `${left}px`;
            },
          ],
        },
      },
      [xs, ys],
      container,
    );
    const observer = new ResizeObserver(() => plot.setSize(size()));
    observer.observe(container);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [months, currency]);

  const total = months.reduce((sum, m) => sum + m.amount, 0);
  return (
    <div className="chart">
      <div ref={box} role="img" aria-label={`Received per month over the last 12 months, ${formatMoney(total, currency)} in all`} />
      <div ref={tip} className="chart__tip" hidden />
      <table className="visually-hidden">
        <caption>Received per month</caption>
        <tbody>
          {months.map((m) => (
            <tr key={m.month}>
              <th scope="row">{formatMonth(m.month)}</th>
              <td>{formatMoney(m.amount, currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
