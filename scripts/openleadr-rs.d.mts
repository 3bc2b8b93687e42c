// Types of scripts/openleadr-rs.mjs for the tests that find what setup built.
export declare const OPENLEADR_VTN_VERSION: string;
export declare function openleadrVtnPath(): string;
export declare function provideOpenleadrVtn(): string;
export declare function openleadrClientDriverPath(): string;
export declare function provideOpenleadrClientDriver(): string;
