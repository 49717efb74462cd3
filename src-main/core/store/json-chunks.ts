/**
 * JSON text of `{ ...head, [key]: [...items] }` in pieces of about `itemsPerChunk` items each: joined, byte for byte
 * what JSON.stringify gives for that object. A users snapshot of 100,000 users is some 75 MB of JSON; written
 * in pieces it never exists as one string (and one buffer as large again), which cost more in garbage
 * collection than the text itself, and the event loop gets a turn between pieces.
 */
export function* jsonChunks<T>(
  head: Record<string, unknown>,
  key: string,
  items: Iterable<T>,
  /** One item's JSON text (callers that already hold it, such as the user store, hand it over). */
  toText: (item: T) => string = (item) => JSON.stringify(item) ?? 'null',
  itemsPerChunk = 1000,
): Generator<string> {
  const opening = JSON.stringify(head);
  // `{"a":1}` -> `{"a":1,"users":[`; an empty head -> `{"users":[`.
  yield `${opening.slice(0, -1)}${opening === '{}' ? '' : ','}${JSON.stringify(key)}:[`;
  let part: string[] = [];
  let first = true;
  for (const item of items) {
    part.push(toText(item));
    if (part.length >= itemsPerChunk) {
      yield (first ? '' : ',') + part.join(',');
      first = false;
      part = [];
    }
  }
  if (part.length > 0) yield (first ? '' : ',') + part.join(',');
  yield ']}';
}
