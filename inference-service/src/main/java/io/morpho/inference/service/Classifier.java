package io.morpho.inference.service;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ai.onnxruntime.OrtException;
import io.micrometer.core.instrument.MeterRegistry;
import io.morpho.events.MorphologyClass;
import io.morpho.imaging.ImagingException;
import io.morpho.imaging.stamp.Stamp;
import io.morpho.imaging.stamp.StampImages;
import io.morpho.inference.config.InferenceConfig;
import io.morpho.inference.model.LoadedModel;
import io.morpho.inference.model.ModelRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import morpho.events.v1.ClassificationEvent;
import morpho.events.v1.CutoutEvent;

/** Preprocesses a cutout as the serving model's metadata says and classifies it. */
@ApplicationScoped
public class Classifier {
    @Inject
    ModelRegistry models;

    @Inject
    InferenceConfig config;

    @Inject
    MeterRegistry registry;

    /** One cutout's outcome: a classification, or the reason it could not be classified. */
    public record Outcome(CutoutEvent cutout, ClassificationEvent result, BadCutoutException problem) {
    }

    /**
     * Classifies a batch with one ONNX Runtime run per serving model (one when no band routes are configured). The
     * whole batch sees the same models (a swap waits until this returns); cutouts that cannot be preprocessed are
     * reported in their outcome and the rest still run.
     */
    public List<Outcome> classify(List<CutoutEvent> cutouts) {
        return models.withModels(routing -> {
            Outcome[] outcomes = new Outcome[cutouts.size()];
            Map<LoadedModel, List<Integer>> groups = new IdentityHashMap<>();
            for (int i = 0; i < cutouts.size(); i++) {
                groups.computeIfAbsent(routing.forBand(cutouts.get(i).getBand()), m -> new ArrayList<>()).add(i);
            }
            groups.forEach((model, indices) -> classify(cutouts, indices, model, outcomes));
            return List.of(outcomes);
        });
    }

    private void classify(List<CutoutEvent> cutouts, List<Integer> indices, LoadedModel model, Outcome[] outcomes) {
        List<float[]> inputs = new ArrayList<>();
        List<Integer> runnable = new ArrayList<>();
        List<Stamp> stamps = new ArrayList<>();
        for (int i : indices) {
            try {
                Stamp stamp = decode(cutouts.get(i));
                inputs.add(preprocess(stamp, model));
                stamps.add(stamp);
                runnable.add(i);
            } catch (BadCutoutException e) {
                outcomes[i] = new Outcome(cutouts.get(i), null, e);
            }
        }
        if (inputs.isEmpty()) {
            return;
        }
        float[][] probabilities;
        long start = System.nanoTime();
        try {
            probabilities = model.run(models.environment(), inputs.toArray(float[][]::new));
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a batch of " + inputs.size() + ": " + e.getMessage(), e);
        }
        long nanos = System.nanoTime() - start;
        registry.timer("morpho.inference.batch.latency", "model", model.name()).record(nanos, TimeUnit.NANOSECONDS);
        registry.timer("morpho.inference.stamp.latency", "model", model.name())
                .record(nanos / inputs.size(), TimeUnit.NANOSECONDS);
        registry.summary("morpho.inference.batch.size").record(inputs.size());
        Instant now = Instant.now();
        for (int k = 0; k < runnable.size(); k++) {
            int i = runnable.get(k);
            CutoutEvent cutout = cutouts.get(i);
            registry.counter("morpho.inference.stamps", "model", model.name(), "band", cutout.getBand()).increment();
            ClassificationEvent event = event(cutout, probabilities[k], model, now);
            if (config.thumbnailSize() > 0) {
                Stamp stamp = stamps.get(k);
                event.setThumbnailPng(ByteBuffer.wrap(
                        StampImages.png(stamp.pixels(), stamp.width(), stamp.height(), config.thumbnailSize())));
            }
            outcomes[i] = new Outcome(cutout, event, null);
        }
    }

    private static ClassificationEvent event(CutoutEvent cutout, float[] p, LoadedModel model, Instant now) {
        return ClassificationEvent.newBuilder()
                .setEventId(cutout.getEventId()).setSourceId(cutout.getSourceId()).setSurvey(cutout.getSurvey())
                .setField(cutout.getField()).setBand(cutout.getBand()).setRa(cutout.getRa()).setDec(cutout.getDec())
                .setMagnitude(cutout.getMagnitude())
                .setPSpheroid(p[0]).setPDisk(p[1]).setPIrregular(p[2]).setPPointSource(p[3]).setPUnclassifiable(p[4])
                .setLabel(MorphologyClass.argmax(p).label()).setEntropy(MorphologyClass.entropyBits(p))
                .setModelName(model.name()).setModelVersion(model.version()).setModelSha256(model.sha256())
                .setExecutionProvider(model.executionProvider()).setOrigin(cutout.getOrigin())
                .setClassifiedAt(now)
                .build();
    }

    private Stamp decode(CutoutEvent cutout) {
        int w = cutout.getWidth();
        int h = cutout.getHeight();
        if (w <= 0 || h <= 0) {
            throw new BadCutoutException("stamp.geometry", "stamp is " + w + "x" + h + " pixels");
        }
        if ((long) w * h > config.maxStampPixels()) {
            throw new BadCutoutException("stamp.too-large", "stamp of " + w + "x" + h + " pixels exceeds the limit of "
                    + config.maxStampPixels() + " (morpho.inference.max-stamp-pixels)");
        }
        try {
            return Stamp.fromLittleEndianBytes(w, h, cutout.getPixels());
        } catch (IllegalArgumentException e) {
            throw new BadCutoutException("stamp.geometry", e.getMessage());
        }
    }

    private static float[] preprocess(Stamp stamp, LoadedModel model) {
        try {
            return model.preprocessing().apply(stamp.pixels(), stamp.width(), stamp.height(), model.inputSize());
        } catch (ImagingException e) {
            throw new BadCutoutException(e.errorType(), e.getMessage());
        }
    }
}
