// Filled in by issue work; see the package README.
export {};
