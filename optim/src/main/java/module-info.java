/** How parameters move: optimizers, schedules and the geometry of optimization paths. */
module optlab.optim {
    requires transitive optlab.tensor;

    exports optlab.optim;
    exports optlab.optim.schedule;
    exports optlab.optim.transform;
    exports optlab.optim.geometry;
    exports optlab.optim.integrate;
}
