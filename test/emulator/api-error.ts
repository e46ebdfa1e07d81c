// An error the emulated API returns: `__type` and `Message` in the body, HTTP 400 unless a fault.

export class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}
