/** A write would duplicate a value that must be unique. */
export class StoreConflictError extends Error {
  override readonly name = 'StoreConflictError'
}

/** A write refers to a row that does not exist. */
export class StoreReferenceError extends Error {
  override readonly name = 'StoreReferenceError'
}
