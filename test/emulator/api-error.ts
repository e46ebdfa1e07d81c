// An error the emulated API returns: `__type` and the message in the body, HTTP 400 unless a
// fault. SSM names the message member `Message`, ECS `message`.

export class ApiError extends Error {
  readonly messageKey: string = 'Message';

  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}
