// The error classes of the package. The wasm core constructs them (installErrorClasses) and
// sets their fields, so `instanceof` works on everything a call rejects with.
// Names are set on the prototypes, not read from the class names, so minifiers cannot change them.

export class JourneyApiError extends Error {}
export class ValidationError extends JourneyApiError {}
export class ApiError extends JourneyApiError {}
export class BadRequestError extends ApiError {}
export class AuthenticationError extends ApiError {}
export class PermissionDeniedError extends ApiError {}
export class NotFoundError extends ApiError {}
export class ConflictError extends ApiError {}
export class RateLimitError extends ApiError {}
export class InternalServerError extends ApiError {}
export class ConnectionError extends JourneyApiError {}
export class TimeoutError extends JourneyApiError {}
export class AbortError extends JourneyApiError {}
export class DecodeError extends JourneyApiError {}

const classes = {
  JourneyApiError, ValidationError, ApiError, BadRequestError, AuthenticationError,
  PermissionDeniedError, NotFoundError, ConflictError, RateLimitError, InternalServerError,
  ConnectionError, TimeoutError, AbortError, DecodeError,
};
for (const [name, cls] of Object.entries(classes)) {
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
}

/** Constructors by class name, for the wasm core. */
export const errorClasses = classes;
