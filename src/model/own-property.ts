/**
 * `obj[name] = value`, except that a name `__proto__` becomes an own attribute: plain assignment would
 * set the object's prototype instead (a nested DynamoDB attribute may be called `__proto__`).
 */
export function setOwn<T> (obj: Record<string, T>, name: string, value: T): void {
  if (name === '__proto__') Object.defineProperty(obj, name, { value, enumerable: true, writable: true, configurable: true })
  else obj[name] = value
}
