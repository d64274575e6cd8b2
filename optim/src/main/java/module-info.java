/** How parameters move: optimizers, schedules and the geometry of optimization paths. */
module optlab.optim {
    requires transitive optlab.tensor;
}
