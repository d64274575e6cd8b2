/** What is trained: modules, layers, the model zoo, initializers and safetensors I/O. */
module optlab.models {
    requires transitive optlab.optim;
    requires com.fasterxml.jackson.databind;

    exports optlab.models;
    exports optlab.models.init;
    exports optlab.models.io;
    exports optlab.models.layers;
    exports optlab.models.param;
    exports optlab.models.path;
    exports optlab.models.zoo;
}
