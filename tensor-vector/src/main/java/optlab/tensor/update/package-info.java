/**
 * Fused optimizer updates as data: the stage list the optim module lowers its transform chains to, which a
 * {@link optlab.tensor.backend.Backend} applies in one pass. Exported to optlab.optim only.
 */
package optlab.tensor.update;
