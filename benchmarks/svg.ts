// A small SVG chart writer for the cost curves: line charts (log x axis when it spans decades) and
// bar charts, no dependencies, deterministic text output.

export interface Series {
  name: string
  points: Array<{ x: number, y: number }>
}

export interface ChartSpec {
  title: string
  xLabel: string
  yLabel: string
  series: Series[]
}

const W = 640
const H = 360
const M = { left: 70, right: 150, top: 40, bottom: 50 }
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b']

function esc (text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** A round number label: 12,345 / 1.2M / 0.35. */
export function tickLabel (v: number): string {
  if (Math.abs(v) >= 1e6) return `${+(v / 1e6).toFixed(1)}M`
  if (Math.abs(v) >= 1e4) return `${+(v / 1e3).toFixed(0)}k`
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US')
  return String(+v.toFixed(2))
}

/** About five round steps from 0 to at least `max`. */
export function niceTicks (max: number): number[] {
  if (!(max > 0)) return [0, 1]
  const raw = max / 5
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw) as number
  const ticks: number[] = []
  for (let v = 0; v < max + step * 0.999; v += step) ticks.push(+v.toPrecision(12))
  return ticks
}

function frame (spec: ChartSpec, body: string[], xTicks: string[], yMax: number): string {
  const yTicks = niceTicks(yMax)
  const top = yTicks[yTicks.length - 1] as number
  const plotH = H - M.top - M.bottom
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${M.left}" y="22" font-size="15" font-weight="bold">${esc(spec.title)}</text>`,
    `<text x="${M.left + (W - M.left - M.right) / 2}" y="${H - 10}" text-anchor="middle">${esc(spec.xLabel)}</text>`,
    `<text transform="translate(16 ${M.top + plotH / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`
  ]
  for (const v of yTicks) {
    const y = M.top + plotH - (v / top) * plotH
    out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#ddd"/>`, `<text x="${M.left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end">${tickLabel(v)}</text>`)
  }
  out.push(...xTicks, ...body)
  spec.series.forEach((s, i) => {
    const y = M.top + 10 + i * 18
    out.push(`<rect x="${W - M.right + 12}" y="${y - 9}" width="12" height="12" fill="${COLORS[i % COLORS.length] as string}"/>`, `<text x="${W - M.right + 30}" y="${y + 1}">${esc(s.name)}</text>`)
  })
  out.push('</svg>')
  return out.join('\n') + '\n'
}

/** Lines through each series' points; the x axis is logarithmic when the values span 100× or more. */
export function lineChart (spec: ChartSpec): string {
  const xs = [...new Set(spec.series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b)
  const yMax = Math.max(0, ...spec.series.flatMap((s) => s.points.map((p) => p.y)))
  const top = niceTicks(yMax)[niceTicks(yMax).length - 1] as number
  const lo = xs[0] ?? 0
  const hi = xs[xs.length - 1] ?? 1
  const log = lo > 0 && hi / lo >= 100
  const f = (x: number): number => log ? Math.log10(x) : x
  const plotW = W - M.left - M.right
  const plotH = H - M.top - M.bottom
  const px = (x: number): number => M.left + (hi === lo ? plotW / 2 : ((f(x) - f(lo)) / (f(hi) - f(lo))) * plotW)
  const py = (y: number): number => M.top + plotH - (y / top) * plotH
  const xTicks = xs.map((x) => `<text x="${px(x).toFixed(1)}" y="${H - M.bottom + 18}" text-anchor="middle">${tickLabel(x)}</text>`)
  const body = spec.series.flatMap((s, i) => {
    const color = COLORS[i % COLORS.length] as string
    const pts = [...s.points].sort((a, b) => a.x - b.x)
    return [
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ')}"/>`,
      ...pts.map((p) => `<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3.5" fill="${color}"><title>${esc(`${s.name}: ${tickLabel(p.y)} at ${tickLabel(p.x)}`)}</title></circle>`)
    ]
  })
  return frame(spec, body, xTicks, yMax)
}

/** Grouped bars: one group per category (the x of the points, in order of first appearance), one bar per series. */
export function barChart (spec: ChartSpec & { categories: string[] }): string {
  const yMax = Math.max(0, ...spec.series.flatMap((s) => s.points.map((p) => p.y)))
  const top = niceTicks(yMax)[niceTicks(yMax).length - 1] as number
  const plotW = W - M.left - M.right
  const plotH = H - M.top - M.bottom
  const group = plotW / Math.max(1, spec.categories.length)
  const bar = (group * 0.7) / Math.max(1, spec.series.length)
  const xTicks = spec.categories.map((c, i) => `<text x="${(M.left + group * (i + 0.5)).toFixed(1)}" y="${H - M.bottom + 18}" text-anchor="middle">${esc(c)}</text>`)
  const body = spec.series.flatMap((s, si) => s.points.map((p) => {
    const h = (p.y / top) * plotH
    const x = M.left + group * p.x + group * 0.15 + bar * si
    return `<rect x="${x.toFixed(1)}" y="${(M.top + plotH - h).toFixed(1)}" width="${bar.toFixed(1)}" height="${h.toFixed(1)}" fill="${COLORS[si % COLORS.length] as string}"><title>${esc(`${s.name} ${spec.categories[p.x] ?? ''}: ${tickLabel(p.y)}`)}</title></rect>`
  }))
  return frame(spec, body, xTicks, yMax)
}
