/** What is trained: modules, layers, the model zoo and parameterizations. */
module optlab.models {
    requires transitive optlab.optim;
    requires com.fasterxml.jackson.databind;

    exports optlab.models.io;
}
