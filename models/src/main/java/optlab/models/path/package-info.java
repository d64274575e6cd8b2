/**
 * Path structures of models (Path-SGD's κ and the path norm): {@link optlab.models.path.PathNetworks}
 * builds them, {@link optlab.models.path.PathChain} reads a model as a chain of path layers and rescales
 * its hidden units.
 */
package optlab.models.path;
