export declare const CONSOLE_INPUTS: readonly string[];
export declare function consoleStale(root: string): boolean;
