/**
 * Moving tensors to and from files: {@link optlab.models.io.SafeTensors} reads and writes the safetensors
 * format, so a PyTorch {@code state_dict} saved with safetensors loads into the matching optlab model and back.
 */
package optlab.models.io;
