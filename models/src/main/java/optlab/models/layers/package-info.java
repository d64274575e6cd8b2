/**
 * Layers built from autodiff primitives (no backward code of their own), named and shaped as their
 * torch.nn (or, for the transformer pieces, timm) counterparts.
 */
package optlab.models.layers;
