/** Learning-rate schedules as pure functions of the step: constant, step, cosine, warm-up, inverse time. */
package optlab.optim.schedule;
