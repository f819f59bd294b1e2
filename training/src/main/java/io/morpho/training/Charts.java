package io.morpho.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG plots for model cards and experiment reports (XChart, rendered headless). */
final class Charts {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    static void learningCurve(List<ModelTrainer.Epoch> curve, String title, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(720).height(420).title(title).xAxisTitle("epoch").yAxisTitle("RMSE").build();
        double[] epochs = curve.stream().mapToDouble(ModelTrainer.Epoch::epoch).toArray();
        chart.addSeries("training loss", epochs, curve.stream().mapToDouble(ModelTrainer.Epoch::trainLoss).toArray());
        if (curve.stream().noneMatch(e -> Double.isNaN(e.validationRmse()))) { // none without validation stamps
            chart.addSeries("validation RMSE", epochs, curve.stream().mapToDouble(ModelTrainer.Epoch::validationRmse).toArray());
        }
        save(chart, png);
    }

    static void rmseVsLabels(List<Integer> labelsPerBand, double[] fineTuned, double[] scratch, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(720).height(420).title("Test RMSE on CLASH-like stamps")
                .xAxisTitle("labelled stamps per band").yAxisTitle("RMSE (vote fractions)").build();
        double[] x = labelsPerBand.stream().mapToDouble(Integer::doubleValue).toArray();
        chart.addSeries("fine-tuned from CANDELS-like", x, fineTuned).setMarker(SeriesMarkers.CIRCLE);
        chart.addSeries("trained from scratch", x, scratch).setMarker(SeriesMarkers.SQUARE);
        chart.getStyler().setXAxisLogarithmic(true);
        save(chart, png);
    }

    static void perBand(List<String> bands, double[] fineTuned, double[] scratch, int labelsPerBand, Path png)
            throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(960).height(420)
                .title("Test RMSE per band, " + labelsPerBand + " labels per band").xAxisTitle("band")
                .yAxisTitle("RMSE").build();
        chart.addSeries("fine-tuned", bands, toList(fineTuned));
        chart.addSeries("from scratch", bands, toList(scratch));
        chart.getStyler().setXAxisLabelRotation(45);
        save(chart, png);
    }

    private static List<Double> toList(double[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }

    private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path png) throws IOException {
        String name = png.toString().replaceFirst("\\.png$", "");
        BitmapEncoder.saveBitmap(chart, name, BitmapEncoder.BitmapFormat.PNG);
    }
}
