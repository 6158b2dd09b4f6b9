import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

function sources (dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    return e.isDirectory() ? sources(full) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : []
  })
}

/** Files of src/ whose build in dist/ is missing or older than the source. */
export function staleBuilds (root = ROOT): string[] {
  return sources(path.join(root, 'src')).filter((src) => {
    const built = path.join(root, 'dist', path.relative(root, src)).replace(/\.ts$/, '.js')
    try {
      return statSync(built).mtimeMs < statSync(src).mtimeMs
    } catch {
      return true
    }
  }).map((src) => path.relative(root, src))
}

/** Tests that run the built dist/ call this first: after a src/ edit they would test stale code, so they fail loudly instead. */
export function assertFreshDist (): void {
  const stale = staleBuilds()
  if (stale.length > 0) {
    throw new Error(`dist/ is stale: ${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ` and ${stale.length - 3} more` : ''} changed since the last build; run \`npm run build\` (npm test builds first)`)
  }
}
