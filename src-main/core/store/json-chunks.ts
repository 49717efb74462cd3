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
  encode: (item: T) => unknown = (item) => item,
  itemsPerChunk = 1000,
): Generator<string> {
  const opening = JSON.stringify(head);
  // `{"a":1}` -> `{"a":1,"users":[`; an empty head -> `{"users":[`.
  yield `${opening.slice(0, -1)}${opening === '{}' ? '' : ','}${JSON.stringify(key)}:[`;
  let part: string[] = [];
  let first = true;
  for (const item of items) {
    // As in an array JSON.stringify writes: a value it cannot represent (undefined, a function) is null.
    part.push(JSON.stringify(encode(item)) ?? 'null');
    if (part.length >= itemsPerChunk) {
      yield (first ? '' : ',') + part.join(',');
      first = false;
      part = [];
    }
  }
  if (part.length > 0) yield (first ? '' : ',') + part.join(',');
  yield ']}';
}
