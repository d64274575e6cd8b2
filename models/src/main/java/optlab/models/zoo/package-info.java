/** Model families configurable by width and depth, and {@link optlab.models.zoo.Zoo} to build them from spec strings. */
package optlab.models.zoo;
