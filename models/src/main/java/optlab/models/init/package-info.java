/** Seeded initializers as small named functions, and whole-model schemes keyed by each parameter's role. */
package optlab.models.init;
