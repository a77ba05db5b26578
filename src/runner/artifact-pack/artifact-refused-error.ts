// Owns the error that stops keeping an artifact for a reason the script must be told about in a warning line.
/** Raised when a file or directory may not be kept (a symlink or special file where none may be, or a swap mid-copy); the message names the path. */
export class ArtifactRefusedError extends Error {
  constructor(path: string, problem: string) {
    super(`${path} ${problem}`);
    this.name = 'ArtifactRefusedError';
  }
}
