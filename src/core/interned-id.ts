/**
 * `id` as the engine's one shared (internalized) copy of that string, for a construct id.
 *
 * Why: constructs stores every child id as an object key, and V8 turns a string that was built at
 * run time (`Node${i}`) into an indirection (a "thin" string) when it is first used as a key. Until
 * the next garbage collection, `Array.prototype.join` treats such a string as two-byte text, so
 * cdktf's logical IDs of nested resources (the path components joined) and everything that quotes
 * them - references, `replace_triggered_by`, at last the whole cdk.tf.json text - are built in
 * two-byte strings: twice the memory, which on a virtual machine is mostly page faults. An id
 * that is already the shared copy stays as it is. The text is unchanged.
 */
export function internedId(id: string): string {
  // A dictionary-mode holder: an object literal would get a new hidden class for every id.
  const holder: { [key: string]: number } = Object.create(null);
  holder[id] = 0;
  return Object.keys(holder)[0];
}
