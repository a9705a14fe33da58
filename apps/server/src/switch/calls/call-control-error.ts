/** A call-control request refused: the API answers `status` with `code` and the message. */
export class CallControlError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
