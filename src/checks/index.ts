export * from './schema-conformance';
export * from './schema-conformance-rule';
