/** A program that uses optlab as a library. */
module demo.consumer {
    requires optlab.experiments;

    exports demo.consumer;
}
