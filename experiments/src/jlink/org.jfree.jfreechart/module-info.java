/*
 * Module descriptor that the build adds to JFreeChart 1.5.x (an automatic module, which jlink cannot
 * link) before linking the runtime image; see experiments/pom.xml, execution jlink-image. Open, and
 * exporting every package but the servlet one, like the automatic module it replaces; JDBC support is
 * an optional dependency so the image needs no java.sql.
 */
open module org.jfree.jfreechart {
    requires transitive java.desktop;
    requires static java.sql;

    exports org.jfree.chart;
    exports org.jfree.chart.annotations;
    exports org.jfree.chart.axis;
    exports org.jfree.chart.block;
    exports org.jfree.chart.date;
    exports org.jfree.chart.editor;
    exports org.jfree.chart.encoders;
    exports org.jfree.chart.entity;
    exports org.jfree.chart.event;
    exports org.jfree.chart.imagemap;
    exports org.jfree.chart.labels;
    exports org.jfree.chart.needle;
    exports org.jfree.chart.panel;
    exports org.jfree.chart.plot;
    exports org.jfree.chart.plot.dial;
    exports org.jfree.chart.plot.flow;
    exports org.jfree.chart.renderer;
    exports org.jfree.chart.renderer.category;
    exports org.jfree.chart.renderer.xy;
    exports org.jfree.chart.text;
    exports org.jfree.chart.title;
    exports org.jfree.chart.ui;
    exports org.jfree.chart.urls;
    exports org.jfree.chart.util;
    exports org.jfree.data;
    exports org.jfree.data.category;
    exports org.jfree.data.flow;
    exports org.jfree.data.function;
    exports org.jfree.data.gantt;
    exports org.jfree.data.general;
    exports org.jfree.data.io;
    exports org.jfree.data.jdbc;
    exports org.jfree.data.json;
    exports org.jfree.data.json.impl;
    exports org.jfree.data.resources;
    exports org.jfree.data.statistics;
    exports org.jfree.data.time;
    exports org.jfree.data.time.ohlc;
    exports org.jfree.data.xml;
    exports org.jfree.data.xy;
}
