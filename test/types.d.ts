declare module 'libnpmpublish' {
  export function publish(
    manifest: object,
    tarball: Buffer,
    options?: Record<string, unknown>,
  ): Promise<unknown>;
}
