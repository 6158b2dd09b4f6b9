// Lint config (flat): neostandard = standard style (2 spaces, no semicolons, space before parens) + TypeScript.
import neostandard from 'neostandard'

export default [
  ...neostandard({
    ts: true,
    ignores: ['dist/**', '.tap/**', 'node_modules/**', 'coverage/**', 'reports/**', '.stryker-tmp/**']
  }),
  {
    rules: {
      // Wrapped objects pack several short properties per line on purpose (settings tables, fixtures).
      '@stylistic/object-property-newline': 'off',
      // Chained ternaries read as `a ? x` / `: b ? y` / `: z` lines; the rule wants every part split.
      '@stylistic/multiline-ternary': 'off',
      // Polling loops wait on flags that callbacks and events set (`while (!exited) await sleep()`).
      'no-unmodified-loop-condition': 'off',
      // tsc reports real redeclarations; the rule only flags the `const X` + `type X` pair idiom.
      '@typescript-eslint/no-redeclare': 'off',
      // `void promise` marks a deliberate fire-and-forget; void as an expression stays banned.
      'no-void': ['error', { allowAsStatement: true }],
      // `for (const _ in o) return false` is the allocation-free emptiness test; `for await … break` reads one.
      'no-unreachable-loop': ['error', { ignore: ['ForInStatement', 'ForOfStatement'] }],
      // A labelled `continue outer` is the plain way to restart a nested search loop.
      'no-labels': ['error', { allowLoop: true }]
    }
  },
  {
    files: ['**/*.ts'],
    rules: {
      // Standard's options, plus `_name` for a binding that must exist but is not read (loop counters).
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none', caughtErrors: 'none', ignoreRestSiblings: true, vars: 'all', varsIgnorePattern: '^_' }]
    }
  }
]
