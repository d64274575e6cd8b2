/** What is trained: modules, layers, the model zoo and initializers. */
module optlab.models {
    requires transitive optlab.optim;

    exports optlab.models;
    exports optlab.models.init;
    exports optlab.models.layers;
    exports optlab.models.zoo;
}
