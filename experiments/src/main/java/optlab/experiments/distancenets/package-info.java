/**
 * The reproduction of Kurbiel and Khaleghian, "Training of Deep Neural Networks based on Distance Measures using
 * RMSProp" (arXiv 1708.01911): distance networks of 1 to 6 hidden layers against ReLU and sigmoid MLPs and a ReLU
 * body with a distance output, under SGD, momentum SGD, the authors' RMSProp, torch's RMSprop and Adam.
 */
package optlab.experiments.distancenets;
