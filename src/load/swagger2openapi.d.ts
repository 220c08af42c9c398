// swagger2openapi ships no types; this is the part the loader uses.
declare module 'swagger2openapi' {
  interface ConvertOptions {
    patch?: boolean;
    warnOnly?: boolean;
    resolve?: boolean;
    direct?: boolean;
    warnProperty?: string;
    [option: string]: unknown;
  }
  interface ConvertResult extends ConvertOptions {
    openapi: Record<string, unknown>;
    patches?: number;
  }
  export function convertObj(swagger: object, options: ConvertOptions): Promise<ConvertResult>;
  const swagger2openapi: { convertObj: typeof convertObj };
  export default swagger2openapi;
}
