/** Recognizable fake credentials: if any piece of them shows up in output, a secret leaked. */
export const ACCESS_KEY = 'AKIAFAKEACCESSKEY0042'
export const SECRET = 'sEcReT-FaKe-wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY'
export const TOKEN = 'ToKeN-FaKe-IQoJb3JpZ2luX2VjEJr-session-9f8e7d6c5b4a'

/** Asserts neither the secret key nor the session token (nor a recognizable piece of one) appears in `text`. */
export function assertNoSecret (t: { notOk: (v: unknown, msg: string) => void }, what: string, text: string): void {
  for (const [name, secret] of [['secret access key', SECRET], ['session token', TOKEN]] as const) {
    const pieces = [secret, secret.slice(0, 16), secret.slice(-16), Buffer.from(secret).toString('base64').slice(0, 20)]
    t.notOk(pieces.some((p) => text.includes(p)), `${what} does not contain the ${name}`)
  }
}
